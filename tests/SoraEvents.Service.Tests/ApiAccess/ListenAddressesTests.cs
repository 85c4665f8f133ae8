using Microsoft.Extensions.Configuration;
using SoraEvents.Service.ApiAccess;

namespace SoraEvents.Service.Tests.ApiAccess;

public sealed class ListenAddressesTests
{
    [Theory]
    [InlineData("http://localhost:5080", true)]
    [InlineData("http://127.0.0.1:0", true)]
    [InlineData("http://127.1.2.3:80", true)]
    [InlineData("http://[::1]:5080", true)]
    [InlineData("http://0.0.0.0:5080", false)]
    [InlineData("http://[::]:5080", false)]
    [InlineData("http://+:8080", false)]
    [InlineData("http://*:8080", false)]
    [InlineData("http://myhost:8080", false)]
    [InlineData("http://192.168.1.5:8080", false)]
    public void Only_localhost_and_loopback_ips_are_loopback(string address, bool loopback) =>
        Assert.Equal(loopback, ListenAddresses.IsLoopback(address));

    [Fact]
    public void Every_setting_kestrel_reads_is_counted_and_the_default_is_localhost()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = "http://localhost:5080; http://127.0.0.1:5081",
            ["Kestrel:Endpoints:Public:Url"] = "http://0.0.0.0:9000",
            ["http_ports"] = "8080",
        }).Build();

        Assert.Equal(["http://code:1", "http://localhost:5080", "http://127.0.0.1:5081", "http://0.0.0.0:9000", "http://*:8080"],
            ListenAddresses.Configured(configuration, ["http://code:1"]));
        Assert.Equal(["http://localhost:5000"], ListenAddresses.Configured(new ConfigurationBuilder().Build(), []));
    }
}
