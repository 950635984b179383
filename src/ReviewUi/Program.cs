using VerifyPipeline.Cases;
using VerifyPipeline.ReviewUi;

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddVerifyPipelineDefaults();
// The embedded default address (DESIGN.md); --urls, ASPNETCORE_URLS or Urls in configuration choose another.
if (string.IsNullOrEmpty(builder.Configuration["urls"])) builder.WebHost.UseUrls("http://127.0.0.1:5080");
builder.AddVerifyPipeline();

var app = builder.Build();
app.UseVerifyPipeline();
app.Run();
