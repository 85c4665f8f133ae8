namespace SoraEvents.Service.Tests.Integration;

/// <summary>
/// The tests that stop, kill and restart the broker get a node of their own, so every other test (in this assembly
/// or another) keeps its broker while they run, and no broker the run did not start is ever touched.
/// </summary>
[CollectionDefinition(Name)]
public sealed class BrokerFaultCollection : ICollectionFixture<PrivateRabbitMqNode>
{
    public const string Name = "RabbitMQ faults";
}
