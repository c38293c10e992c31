using Npgsql;
using PhotoReceipt.Data;

namespace PhotoReceipt.Api.Tests.Platform;

public sealed class ConnectionTuningTests
{
    [Fact]
    public void Defaults_apply_unless_the_connection_string_says_otherwise()
    {
        var plain = new NpgsqlConnectionStringBuilder("Host=h;Username=u");
        ConnectionTuning.Apply(plain);
        Assert.True(plain.NoResetOnClose);
        Assert.Equal(64, plain.MaxAutoPrepare);

        var explicitOff = new NpgsqlConnectionStringBuilder("Host=h;No Reset On Close=false;Max Auto Prepare=0");
        ConnectionTuning.Apply(explicitOff);
        Assert.False(explicitOff.NoResetOnClose);
        Assert.Equal(0, explicitOff.MaxAutoPrepare);
    }
}
