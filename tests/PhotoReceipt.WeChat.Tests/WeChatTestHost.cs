using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using PhotoReceipt.WeChat.Tests.Fake;

namespace PhotoReceipt.WeChat.Tests;

/// <summary>A DI container configured the way the API host does it, pointed at the fake WeChat server.</summary>
internal static class WeChatTestHost
{
    public const string Token = "AAAAA";
    // 43 × 'A' decodes to the all-zero key of the official vectors.
    public const string EncodingAesKey = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

    public static Dictionary<string, string?> Settings(FakeWeChatServer fake) => fake.Configuration();

    public static ServiceProvider Build(Dictionary<string, string?> settings, NpgsqlDataSource db, TimeProvider? clock = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(db);
        if (clock is not null) services.AddSingleton(clock);
        services.AddWeChat(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public static ServiceProvider Build(FakeWeChatServer fake, NpgsqlDataSource db, Action<Dictionary<string, string?>>? tweak = null)
    {
        var settings = Settings(fake);
        tweak?.Invoke(settings);
        return Build(settings, db);
    }
}

/// <summary>A fake WeChat server and a database of their own for one test class.</summary>
public sealed class WeChatFixture : IAsyncLifetime
{
    public PhotoReceipt.Testing.PostgresDatabase Database { get; } = new();
    public FakeWeChatServer Fake { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        Fake = await FakeWeChatServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Fake.DisposeAsync();
        await Database.DisposeAsync();
    }
}
