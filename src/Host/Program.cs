using VerifyPipeline.Cases;
using VerifyPipeline.ReviewUi;
using VerifyPipeline.Worker.Pipeline;

// The embedded all-in-one: every part in one process, each switched by Hosting:* (all on by default).
var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddVerifyPipelineDefaults();
// The embedded default address (DESIGN.md); --urls, ASPNETCORE_URLS or Urls in configuration choose another.
if (string.IsNullOrEmpty(builder.Configuration["urls"])) builder.WebHost.UseUrls("http://127.0.0.1:5080");
builder.AddVerifyPipeline(jobs: s => s.AddPipelineServices());

var app = builder.Build();
app.UseVerifyPipeline();
app.Run();

namespace VerifyPipeline.Host
{
    /// <summary>This host's assembly, for <c>WebApplicationFactory</c> in the tests.</summary>
    public sealed class AllInOne;
}
