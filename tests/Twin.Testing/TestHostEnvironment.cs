using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace Twin.Testing;

/// <summary>The host environment a bare service collection lacks (the app's validators read it), Development by default.</summary>
public sealed class TestHostEnvironment(string environmentName = "Development") : IHostEnvironment
{
    public string EnvironmentName { get; set; } = environmentName;

    public string ApplicationName { get; set; } = "Twin.Tests";

    public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

    public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
}
