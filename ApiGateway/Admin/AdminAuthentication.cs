using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace Pipeline.ApiGateway.Admin;

/// <summary>Registers bearer-token authentication for the admin API.</summary>
public static class AdminAuthentication
{
    /// <summary>
    /// Every endpoint needs the admin token unless it opts out with AllowAnonymous (health, readiness, the
    /// OpenAPI document): a fallback policy, so an endpoint someone adds later is protected by default.
    /// Reads PIPELINE_ADMIN_TOKEN now, so a gateway without one fails at startup, not at the first request.
    /// </summary>
    public static IServiceCollection AddAdminAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(AdminToken.FromConfiguration(configuration));
        services.AddAuthentication(AdminTokenHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, AdminTokenHandler>(AdminTokenHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(AdminTokenHandler.SchemeName).RequireAuthenticatedUser().Build());
        return services;
    }
}
