using System.Text;
using System.Text.Json;
using SoraEvents.Service.Messaging;

namespace SoraEvents.Service.Tests.Messaging;

public sealed class CommandReaderTests
{
    private static readonly Guid JobId = Guid.Parse("3f2b0000-0000-4000-8000-000000000001");

    private static CommandReading Read(string fields) =>
        CommandReader.Read(JsonDocument.Parse($$"""{"jobId":"{{JobId}}",{{fields}}}""").RootElement);

    [Fact]
    public void Seconds_as_a_string_is_read_as_the_number_and_marked_for_conversion()
    {
        var reading = Read("\"Prompt\":\"a fox\",\"seconds\":\"8\"");

        Assert.Equal((8, "a fox", true), (reading.Command!.Seconds, reading.Command.Prompt, reading.Rewritten));
        Assert.Empty(reading.Problems);
    }

    [Theory]
    [InlineData("\"prompt\":\"a\",\"seconds\":4.5", "seconds must be a whole number of seconds; got the number 4.5.")]
    [InlineData("\"prompt\":\"a\",\"seconds\":1e20", "seconds must be a whole number of seconds; got the number 1e20.")]
    [InlineData("\"prompt\":123", "prompt must be a string; got the number 123.")]
    [InlineData("\"prompt\":\"a\",\"metadata\":{\"order\":42}", "metadata values must be strings; 'order' is the number 42.")]
    [InlineData("\"prompt\":\"a\",\"metadata\":[1]", "metadata must be an object whose values are strings; got an array.")]
    public void Wrong_type_is_a_problem_naming_the_field_and_the_job_stays_known(string fields, string problem)
    {
        var reading = Read(fields);

        Assert.Null(reading.Command);
        Assert.Equal(problem, Assert.Single(reading.Problems));
        Assert.Equal(JobId, reading.JobId);
    }

    [Fact]
    public void Every_wrong_field_is_named_at_once()
    {
        var reading = Read("\"prompt\":false,\"seconds\":[8],\"size\":1280");

        Assert.Equal(["prompt", "seconds", "size"], reading.Problems.Select(p => p.Split(' ')[0]));
    }

    [Fact]
    public void Job_id_and_metadata_are_found_in_a_body_too_large_to_parse_and_inside_an_envelope()
    {
        var huge = new string('x', 3_000_000);
        var bare = $$$"""{"prompt":"{{{huge}}}","jobId":"{{{JobId}}}","metadata":{"order":"7"}}""";
        var envelope = $$$"""{"messageId":"{{{Guid.NewGuid()}}}","messageType":["urn:message:SoraEvents.Contracts:GenerateVideo"],"message":{{{bare}}}}""";

        foreach (var body in new[] { bare, envelope })
        {
            var (jobId, metadata) = CommandAttribution.Scan(Encoding.UTF8.GetBytes(body));
            Assert.Equal(JobId, jobId);
            Assert.Equal("7", metadata!["order"]);
        }
    }

    [Fact]
    public void Broken_json_is_still_attributed_up_to_where_it_breaks_and_garbage_is_not()
    {
        Assert.Equal(JobId, CommandAttribution.Scan(Encoding.UTF8.GetBytes($$"""{"jobId":"{{JobId}}","seconds": }""")).JobId);
        Assert.Null(CommandAttribution.Scan("this is not json {"u8).JobId);
        Assert.Null(CommandAttribution.Scan("""{"jobId":42}"""u8).JobId);
    }
}
