using System.Text.Json;
using Npgsql;
using Orleans.Configuration;
using Pipeline.ApiGateway.Health;
using Pipeline.ApiGateway.Hosting;
using Pipeline.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("pipeline-gateway");
builder.WebHost.UseUrls(builder.Configuration["PIPELINE_GATEWAY_URL"] is { Length: > 0 } url ? url : "http://127.0.0.1:5080");

var database = PipelineSettings.Database(builder.Configuration);
builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(database));
builder.UseOrleansClient(client => client
    .Configure<ClusterOptions>(o =>
    {
        o.ClusterId = PipelineSettings.ClusterId;
        o.ServiceId = PipelineSettings.ServiceId;
    })
    .UseAdoNetClustering(o =>
    {
        o.Invariant = PipelineSettings.AdoNetInvariant;
        o.ConnectionString = database;
    })
    .UseConnectionRetryFilter<RetryUntilClusterIsUp>());

builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
    ctx.ProblemDetails.Extensions["request_id"] = ctx.HttpContext.TraceIdentifier);
builder.Services.AddSingleton<ReadinessProbe>();
builder.Services.AddOpenApi();

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapOpenApi();
app.MapHealthApi();
app.Run();
