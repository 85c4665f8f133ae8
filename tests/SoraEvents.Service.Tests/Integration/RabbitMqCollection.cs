namespace SoraEvents.Service.Tests.Integration;

/// <summary>One real broker for every test that needs it; those tests run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class RabbitMqCollection : ICollectionFixture<RabbitMqFixture>
{
    public const string Name = "RabbitMQ";
}
