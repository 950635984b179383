using VerifyPipeline.ReviewUi;

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddVerifyPipelineDefaults(args);
builder.AddVerifyPipeline();

var app = builder.Build();
app.UseVerifyPipeline();
app.Run();

/// <summary>Visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
