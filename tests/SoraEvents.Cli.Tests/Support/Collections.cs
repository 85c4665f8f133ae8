namespace SoraEvents.Cli.Tests.Support;

/// <summary>Tests that run the real service on the real broker; they run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class RabbitMqCollection : ICollectionFixture<RabbitMqFixture>
{
    public const string Name = "RabbitMQ";
}

/// <summary>
/// Tests that only need the broker (crafted dead letters in a virtual host of their own); they run beside the
/// live-service collection.
/// </summary>
[CollectionDefinition(Name)]
public sealed class DeadLetterCollection : ICollectionFixture<RabbitMqFixture>
{
    public const string Name = "RabbitMQ dead letters";
}
