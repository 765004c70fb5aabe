using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Twin.Testing.Fakes.Langfuse;

// GET /api/public/projects: the project of the key pair (ProjectId, as datasets carry), the cheapest keyed call (health checks use it to test keys).
public sealed partial class FakeLangfuse
{
    public const string ProjectsPath = "/api/public/projects";

    private void MapProjects(WebApplication app) =>
        app.MapGet(ProjectsPath, (Delegate)((HttpContext context) => ServeAsync(context, ProjectsPath, (_, _) => RestAnswer.Ok(new
        {
            data = new[]
            {
                new { id = ProjectId, name = "Fake project", organization = new { id = "fake-org", name = "Fake organization" }, metadata = new { } },
            },
        }))));
}
