using VerifyPipeline.Cases;
using VerifyPipeline.ReviewUi;

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddVerifyPipelineDefaults(args);
builder.AddVerifyPipeline();

var app = builder.Build();
app.UseVerifyPipeline();
app.Run();
