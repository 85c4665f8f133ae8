namespace SoraEvents.Cli.Tests;

public sealed class DurationsTests
{
    [Theory]
    [InlineData("500ms", 0.5)]
    [InlineData("90s", 90)]
    [InlineData("5m", 300)]
    [InlineData("1.5h", 5400)]
    [InlineData("1d", 86400)]
    [InlineData("00:05:00", 300)]
    public void Durations_are_read_as_people_type_them(string text, double seconds)
    {
        Assert.True(Durations.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("5 minutes")]
    [InlineData("-5m")]
    public void Anything_else_is_not_a_duration(string text) => Assert.False(Durations.TryParse(text, out _));

    [Fact]
    public void Since_is_an_age_back_from_now_or_a_time_in_utc_when_it_names_no_zone()
    {
        var now = new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
        Assert.True(Durations.TryParseSince("2h", now, out var ago));
        Assert.Equal(now.AddHours(-2), ago);
        Assert.True(Durations.TryParseSince("2025-06-01T10:30:00", now, out var at));
        Assert.Equal(new DateTimeOffset(2025, 6, 1, 10, 30, 0, TimeSpan.Zero), at);
        Assert.True(Durations.TryParseSince("2025-06-01T10:30:00+02:00", now, out var zoned));
        Assert.Equal(new DateTimeOffset(2025, 6, 1, 8, 30, 0, TimeSpan.Zero), zoned.ToUniversalTime());
    }
}
