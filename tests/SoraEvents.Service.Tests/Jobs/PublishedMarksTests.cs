using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using SoraEvents.Contracts;
using SoraEvents.Service.Jobs;

namespace SoraEvents.Service.Tests.Jobs;

/// <summary>Marks of publishers finishing together share one statement; a mark that fails never fails its publisher.</summary>
public sealed class PublishedMarksTests : IAsyncLifetime
{
    private readonly DateTimeOffset now = DateTimeOffset.FromUnixTimeMilliseconds(1_767_965_610_929);
    private readonly string folder = Path.Combine(Path.GetTempPath(), "soraevents-marks-tests", Guid.NewGuid().ToString("N"));
    private SqliteJobStore store = null!;

    public async Task InitializeAsync()
    {
        store = new SqliteJobStore($"Data Source={Path.Combine(folder, "jobs.db")}");
        await store.InitializeAsync(CancellationToken.None);
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Marks_asked_for_while_one_is_written_are_written_together_in_the_next_statement()
    {
        var ids = await EndJobsAsync(6);
        var gated = GatedMarks.Create(store);
        var marks = new PublishedMarks(gated.Store, NullLogger<PublishedMarks>.Instance);

        var first = marks.MarkAsync(ids[0]);
        await gated.FirstWriteStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var rest = ids.Skip(1).Select(marks.MarkAsync).ToList();
        Assert.DoesNotContain(rest, m => m.IsCompleted);
        gated.ReleaseFirstWrite.SetResult();
        await Task.WhenAll(rest.Prepend(first)).WaitAsync(TimeSpan.FromSeconds(30));

        var writes = gated.Writes.ToList();
        Assert.Equal(2, writes.Count);
        Assert.Equal([ids[0]], writes[0]);
        Assert.Equal(ids.Skip(1), writes[1].Order());
        Assert.Empty(await store.FindUnpublishedEndedBeforeAsync(now.AddHours(1), 10, CancellationToken.None));
    }

    [Fact]
    public async Task A_mark_that_cannot_be_stored_completes_and_leaves_the_event_for_the_republisher()
    {
        var ids = await EndJobsAsync(1);
        var gated = GatedMarks.Create(store, failWrites: true);
        gated.ReleaseFirstWrite.SetResult();
        var marks = new PublishedMarks(gated.Store, NullLogger<PublishedMarks>.Instance);

        await marks.MarkAsync(ids[0]).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(ids, await store.FindUnpublishedEndedBeforeAsync(now.AddHours(1), 10, CancellationToken.None));
    }

    private async Task<List<Guid>> EndJobsAsync(int count)
    {
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            var job = await store.CreateIfAbsentAsync(new GenerateVideo(Guid.NewGuid(), "prompt"), now, CancellationToken.None);
            await store.TryEndAsync(job.JobId, JobEnding.Failed(null, null, "invalid_request", "x"), Guid.NewGuid(), now, now.AddSeconds(30), CancellationToken.None);
            ids.Add(job.JobId);
        }
        return ids.Order().ToList();
    }

    /// <summary>The real store, with its batch marks recorded and the first one held until the test lets it go.</summary>
    public class GatedMarks : DispatchProxy
    {
        private IJobStore inner = null!;
        private bool failWrites;

        public IJobStore Store { get; private set; } = null!;
        public ConcurrentQueue<IReadOnlyCollection<Guid>> Writes { get; } = new();
        public TaskCompletionSource FirstWriteStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource ReleaseFirstWrite { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public static GatedMarks Create(IJobStore inner, bool failWrites = false)
        {
            var proxy = Create<IJobStore, GatedMarks>();
            var gated = (GatedMarks)(object)proxy;
            (gated.inner, gated.failWrites, gated.Store) = (inner, failWrites, proxy);
            return gated;
        }

        protected override object? Invoke(MethodInfo? method, object?[]? args)
        {
            if (method!.Name == nameof(IJobStore.MarkTerminalPublishedAsync) && args![0] is IReadOnlyCollection<Guid> ids)
                return WriteAsync(method, args, ids);
            return method.Invoke(inner, BindingFlags.DoNotWrapExceptions, null, args, null);
        }

        private async Task WriteAsync(MethodInfo method, object?[] args, IReadOnlyCollection<Guid> ids)
        {
            Writes.Enqueue(ids.ToList());
            FirstWriteStarted.TrySetResult();
            await ReleaseFirstWrite.Task;
            if (failWrites) throw new SqliteException("disk I/O error", 10);
            await (Task)method.Invoke(inner, BindingFlags.DoNotWrapExceptions, null, args, null)!;
        }
    }
}
