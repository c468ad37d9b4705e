using System.Text.Json;
using Orleans.Serialization;
using Orleans.Configuration;
using Pipeline.ApiGateway.Admin;
using Pipeline.ApiGateway.Channels;
using Pipeline.ApiGateway.Limits;
using Pipeline.ApiGateway.Notion;
using Pipeline.ApiGateway.Health;
using Pipeline.ApiGateway.Hosting;
using Pipeline.ApiGateway.Problems;
using Pipeline.ApiGateway.Tasks;
using Pipeline.ApiGateway.YouTube;
using Pipeline.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("pipeline-gateway");
builder.WebHost.UseUrls(builder.Configuration["PIPELINE_GATEWAY_URL"] is { Length: > 0 } url ? url : "http://127.0.0.1:5080");

// The admin API's listings are planned for the values asked for: a rare status is an index look-up, the
// common one a scan, and one generic plan for both made the rare one scan every task.
var database = PipelineSettings.CreateDataSource(builder.Configuration, defaultMaxPoolSize: 10, planEachExecution: true);
builder.Services.AddSingleton(database);
builder.UseOrleansClient(client => client
    .Configure<ClusterOptions>(o =>
    {
        o.ClusterId = PipelineSettings.ClusterId;
        o.ServiceId = PipelineSettings.ServiceId;
    })
    .UseAdoNetClustering(o =>
    {
        o.Invariant = PipelineSettings.AdoNetInvariant;
        o.DataSource = database;
    })
    // Orleans looks for new silos once a minute by default; a silo that replaces a dead one should be found sooner.
    .Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(10))
    .UseConnectionRetryFilter<RetryUntilClusterIsUp>()
    .Configure<ExceptionSerializationOptions>(o => o.SupportedNamespacePrefixes.Add("Npgsql")));

builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);

// Binding failures (malformed JSON, wrong content type) throw instead of answering an empty 400,
// so ProblemExceptionHandler can say what was wrong.
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ApiProblems.Customize);
builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
builder.Services.AddAdminAuthentication(builder.Configuration);
builder.Services.AddSingleton<ReadinessProbe>();
builder.Services.AddSingleton<TaskQueries>();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<NotionSigningKey>();
builder.Services.AddSingleton<NotionEventInbox>();
builder.Services.AddHostedService(services => services.GetRequiredService<NotionEventInbox>());
builder.Services.AddOpenApi(o => o
    .AddDocumentTransformer<BearerSecurityTransformer>()
    .AddOperationTransformer<BearerSecurityTransformer>());

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();
app.MapOpenApi().AllowAnonymous();
app.MapHealthApi();
app.MapTasksApi();
app.MapChannelsApi();
app.MapLimitsApi();
app.MapNotionApi();
app.MapYouTubeApi();
app.Run();
