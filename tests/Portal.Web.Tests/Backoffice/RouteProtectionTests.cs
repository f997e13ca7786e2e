using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Web.Backoffice;
using Portal.Web.Content;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Backoffice;

/// <summary>Every back-office route, found from the app's own endpoints so a new page cannot be missed.</summary>
public sealed class RouteProtectionTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private static readonly string[] Anonymous = ["backoffice/sign-in", "backoffice/sign-in/code", "backoffice/sign-out", "backoffice/forbidden"];

    private sealed record Route(string Path, string? Policy);

    private async Task<List<Route>> RoutesAsync()
    {
        _ = portal.Server;
        string helpline;
        using (var scope = portal.Services.CreateScope())
        {
            helpline = await scope.ServiceProvider.GetRequiredService<PortalDb>().Helplines.OrderBy(h => h.Order).Select(h => h.Id).FirstAsync();
        }

        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["slug"] = "policy", ["culture"] = "pl", ["lang"] = "pl", ["audience"] = "standard", ["id"] = helpline, ["userId"] = "00000000-0000-0000-0000-000000000000",
            ["version"] = "1", ["versionId"] = "1", ["token"] = "x",
            ["key"] = Portal.Web.Localization.UiKeys.Hash(new Portal.Web.Localization.UiKey(null, "Exit this page")),
        };
        var routes = new List<Route>();
        foreach (var endpoint in portal.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = endpoint.RoutePattern;
            if (pattern.RawText is not { } raw || !raw.TrimStart('/').StartsWith("backoffice", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var segments = pattern.PathSegments.Select(s => string.Concat(s.Parts.Select(p => p switch
            {
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart l => l.Content,
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { IsOptional: true } => "",
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart p2 => values.GetValueOrDefault(p2.Name, "x"),
                _ => "",
            }))).Where(s => s.Length > 0);
            var path = "/" + string.Join("/", segments);
            if (Anonymous.Contains(path.TrimStart('/')))
            {
                Assert.NotNull(endpoint.Metadata.GetMetadata<IAllowAnonymous>());
                continue;
            }

            var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).ToList();
            Assert.True(policies.Count > 0, $"{path} has no authorization policy");
            Assert.Null(endpoint.Metadata.GetMetadata<IAllowAnonymous>());
            routes.Add(new Route(path, policies.LastOrDefault(p => p is not (StaffPolicies.Staff or StaffPolicies.Enrolling)) ?? policies[0]));
        }

        return routes.DistinctBy(r => r.Path).ToList();
    }

    [Fact]
    public async Task EveryBackofficeRoute_SendsAnonymousPeopleToSignIn_ForGetAndPost()
    {
        var routes = await RoutesAsync();
        Assert.Contains(routes, r => r.Path == "/backoffice");
        var client = Staff.NewClient(portal);

        foreach (var route in routes)
        {
            var get = await client.GetAsync(route.Path);
            Assert.True(get.StatusCode == HttpStatusCode.Redirect && SignInPath(get),
                $"GET {route.Path}: {(int)get.StatusCode} {get.Headers.Location}");
            var post = await client.PostAsync(route.Path, new FormUrlEncodedContent([]));
            Assert.True(post.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.BadRequest or HttpStatusCode.MethodNotAllowed && (int)post.StatusCode != 200,
                $"POST {route.Path}: {(int)post.StatusCode}");
            if (post.StatusCode == HttpStatusCode.Redirect)
            {
                Assert.True(SignInPath(post), post.Headers.Location!.ToString());
            }
        }
    }

    private static bool SignInPath(HttpResponseMessage response) =>
        new Uri(new Uri("https://localhost"), response.Headers.Location!).AbsolutePath == "/backoffice/sign-in";

    [Fact]
    public async Task RoutesForAnotherRole_Answer403_ToATranslator_AndAnEditor()
    {
        var routes = await RoutesAsync();
        var translator = await Staff.SignedInWithLanguagesAsync(portal, "pl", StaffRoles.Translator);
        var editor = await Staff.SignedInAsync(portal, StaffRoles.Editor);

        foreach (var route in routes.Where(r => r.Policy is StaffPolicies.Administer or StaffPolicies.Publish or StaffPolicies.ViewAudit))
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await translator.Client.GetAsync(route.Path)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await editor.Client.GetAsync(route.Path)).StatusCode);
        }

        // A password-only session (no second factor yet) reaches nothing but enrolment.
        var (_, email, _) = await Staff.CreateAsync(portal, [StaffRoles.Administrator], enrolled: false);
        var enrolling = Staff.NewClient(portal);
        await Staff.PostFormAsync(enrolling, "/backoffice/sign-in", new() { ["email"] = email, ["password"] = Staff.Password });
        foreach (var route in routes.Where(r => r.Policy != StaffPolicies.Enrolling))
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await enrolling.GetAsync(route.Path)).StatusCode);
        }
    }
}
