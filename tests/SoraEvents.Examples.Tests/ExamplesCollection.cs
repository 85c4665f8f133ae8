namespace SoraEvents.Examples.Tests;

/// <summary>One real broker for the examples; they run one after another, since building an example is heavy.</summary>
[CollectionDefinition(Name)]
public sealed class ExamplesCollection : ICollectionFixture<RabbitMqFixture>
{
    public const string Name = "Examples on RabbitMQ";
}
