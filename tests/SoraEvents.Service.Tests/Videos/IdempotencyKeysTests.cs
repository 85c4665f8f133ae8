using SoraEvents.Service.ApiAccess;
using SoraEvents.Service.Videos;

namespace SoraEvents.Service.Tests.Videos;

public sealed class IdempotencyKeysTests
{
    [Fact]
    public void Name_based_ids_match_the_rfc_version_5_example()
    {
        var dns = new Guid("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
        Assert.Equal(new Guid("2ed6657d-e927-568b-95e1-2665a8aea6a2"), IdempotencyKeys.NameBased(dns, "www.example.com"));
    }

    [Fact]
    public void Same_key_names_the_same_job_for_the_same_caller_only()
    {
        var anonymous = IdempotencyKeys.JobIdFor(ApiCaller.Anonymous, "order-42");

        Assert.Equal(anonymous, IdempotencyKeys.JobIdFor(ApiCaller.Anonymous, "order-42"));
        Assert.NotEqual(anonymous, IdempotencyKeys.JobIdFor(ApiCaller.Anonymous, "order-43"));
        Assert.NotEqual(anonymous, IdempotencyKeys.JobIdFor("orders", "order-42"));
        // Length-prefixed: caller "a:" with key "b" is not caller "a" with key ":b".
        Assert.NotEqual(IdempotencyKeys.JobIdFor("a:", "b"), IdempotencyKeys.JobIdFor("a", ":b"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("tab\there")]
    [InlineData("ключ")]
    public void Unusable_keys_are_refused(string key) => Assert.NotNull(IdempotencyKeys.Problem(key));

    [Fact]
    public void Keys_up_to_255_printable_characters_are_taken() =>
        Assert.Null(IdempotencyKeys.Problem(new string('k', 254) + "~"));
}
