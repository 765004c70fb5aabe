using Twin.Testing;
using Xunit;

namespace Twin.Functions.Tests;

/// <summary>One running app on Azurite shared by the end-to-end tests of a collection.</summary>
public sealed class TwinAppFixture : IAsyncLifetime
{
    private readonly AzuriteFixture _azurite = new();

    public LocalHostServer Server { get; private set; } = null!;

    public HttpClient Anonymous => Server.Client;

    public HttpClient Admin { get; private set; } = null!;

    public HttpClient User { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        Server = await TwinApp.StartAsync();
        Admin = Server.CreateClient(TestKeys.Admin);
        User = Server.CreateClient(TestKeys.User);
    }

    public async Task DisposeAsync()
    {
        Admin.Dispose();
        User.Dispose();
        await Server.DisposeAsync();
        await _azurite.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class TwinAppCollection : ICollectionFixture<TwinAppFixture>
{
    public const string Name = "TwinApp";
}

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
