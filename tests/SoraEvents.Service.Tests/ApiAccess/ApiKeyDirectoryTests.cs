using System.ComponentModel.DataAnnotations;
using SoraEvents.Service.ApiAccess;

namespace SoraEvents.Service.Tests.ApiAccess;

public sealed class ApiKeyDirectoryTests
{
    private static readonly ApiKeyDirectory Directory = new(new ApiOptions
    {
        Keys = { ["orders"] = "sk_orders_0123456789abcdef", ["billing"] = "sk_billing_0123456789abcdef" },
        AdminKeys = { ["operator"] = "sk_operator_0123456789abcdef" },
    });

    [Fact]
    public void Each_key_names_its_own_caller_and_only_admin_keys_are_admin()
    {
        Assert.Equal(new ApiKeyOwner("orders", false), Directory.Find("sk_orders_0123456789abcdef"));
        Assert.Equal(new ApiKeyOwner("billing", false), Directory.Find("sk_billing_0123456789abcdef"));
        Assert.Equal(new ApiKeyOwner("operator", true), Directory.Find("sk_operator_0123456789abcdef"));
    }

    [Theory]
    [InlineData("sk_orders_0123456789abcdeF")]
    [InlineData("sk_orders_0123456789abcde")]
    [InlineData("sk_orders_0123456789abcdef ")]
    [InlineData("sk_orders_0123456789abcdefg")]
    [InlineData("SK_ORDERS_0123456789ABCDEF")]
    [InlineData("")]
    public void Anything_but_the_exact_key_is_unknown(string presented) => Assert.Null(Directory.Find(presented));

    [Fact]
    public void No_key_configured_is_an_open_directory() => Assert.True(new ApiKeyDirectory(new ApiOptions()).IsEmpty);

    [Fact]
    public void An_empty_value_is_no_key()
    {
        var options = new ApiOptions { Keys = { ["orders"] = "" }, AdminKeys = { ["operator"] = "  " } };

        Assert.False(options.HasKeys);
        Assert.Empty(options.Validate(new ValidationContext(options)));
        Assert.True(new ApiKeyDirectory(options).IsEmpty);
        Assert.Null(new ApiKeyDirectory(options).Find(""));
    }

    [Fact]
    public void Options_refuse_short_keys_a_key_shared_by_two_callers_and_the_anonymous_name()
    {
        var options = new ApiOptions
        {
            Keys = { ["orders"] = "short", ["billing"] = "sk_same_0123456789abcdef", [ApiCaller.Anonymous] = "sk_anon_0123456789abcdef" },
            AdminKeys = { ["operator"] = "sk_same_0123456789abcdef" },
        };

        var problems = options.Validate(new ValidationContext(options)).Select(p => p.ErrorMessage!).ToList();

        Assert.Contains(problems, p => p.Contains("Api:Keys:orders") && p.Contains("at least 16"));
        Assert.Contains(problems, p => p.Contains("Api:Keys:billing and Api:AdminKeys:operator have the same key"));
        Assert.Contains(problems, p => p.Contains("'anonymous'"));
        Assert.DoesNotContain(problems, p => p.Contains("sk_same_0123456789abcdef"));
    }

    [Fact]
    public void Options_refuse_the_placeholder_keys_of_the_examples()
    {
        var options = new ApiOptions { Keys = { ["orders"] = "sk_orders_change-me-to-a-long-random-string" } };

        var problem = Assert.Single(options.Validate(new ValidationContext(options))).ErrorMessage!;

        Assert.Contains("Api:Keys:orders is the example's placeholder", problem);
        Assert.Contains("openssl rand", problem);
    }
}
