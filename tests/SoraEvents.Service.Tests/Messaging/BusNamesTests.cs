using MassTransit;
using SoraEvents.Contracts;

namespace SoraEvents.Service.Tests.Messaging;

/// <summary>The names other teams bind to are MassTransit's own for each message, and stay what the README promises.</summary>
public sealed class BusNamesTests
{
    public static TheoryData<string, Type> Exchanges => new()
    {
        { BusExchanges.GenerateVideo, typeof(GenerateVideo) },
        { BusExchanges.VideoSubmitted, typeof(VideoSubmitted) },
        { BusExchanges.VideoCompleted, typeof(VideoCompleted) },
        { BusExchanges.VideoFailed, typeof(VideoFailed) },
    };

    [Theory]
    [MemberData(nameof(Exchanges))]
    public void Each_exchange_is_the_one_masstransit_publishes_the_message_to(string exchange, Type message) =>
        Assert.Equal(MessageUrn.ForType(message).ToString()["urn:message:".Length..], exchange);

    [Fact]
    public void Queue_names_are_the_documented_ones()
    {
        Assert.Equal("generate-video", BusQueues.GenerateVideo);
        Assert.Equal("callback-received_error", BusQueues.ErrorQueueOf(BusQueues.CallbackReceived));
        Assert.Equal(["SoraEvents.Contracts:VideoSubmitted", "SoraEvents.Contracts:VideoCompleted", "SoraEvents.Contracts:VideoFailed"], BusExchanges.Events);
    }

    [Fact]
    public void Sizes_are_the_four_sora_renders() =>
        Assert.Equal(["1280x720", "720x1280", "1792x1024", "1024x1792"], VideoSizes.All);
}
