using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Pipeline.ApiGateway.Problems;

namespace Pipeline.ApiGateway.Admin;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;PIPELINE_ADMIN_TOKEN&gt;</c>. An authentication handler rather
/// than an endpoint filter because it runs before the request body is bound: an unauthenticated caller
/// gets 401, never a validation answer that tells it about the API.
/// </summary>
public sealed class AdminTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    AdminToken token,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "AdminToken";

    private static readonly ClaimsPrincipal Admin =
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "admin")], SchemeName));

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Request.Headers.Authorization.Count == 0)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var presented = AdminToken.FromAuthorizationHeader(Request.Headers.Authorization);
        return Task.FromResult(token.Matches(presented)
            ? AuthenticateResult.Success(new AuthenticationTicket(Admin, SchemeName))
            : AuthenticateResult.Fail("The Authorization header does not carry the admin bearer token."));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        var presented = result.Failure is not null;

        // RFC 6750 §3: a bare challenge when no credentials came, invalid_token when wrong ones did.
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = presented ? "Bearer error=\"invalid_token\"" : "Bearer";
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = ApiProblems.Create(
                ApiProblems.Unauthorized,
                presented
                    ? "The bearer token is not the admin token."
                    : "Send the admin token: Authorization: Bearer <PIPELINE_ADMIN_TOKEN>."),
        });
    }
}
