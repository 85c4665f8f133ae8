namespace SoraEvents.Service.Jobs;

/// <summary>
/// Marks terminal events published in the store, several in one statement: marks asked for while one is being
/// written are written together next, so publishers finishing at the same moment share one commit (on SQLite, one
/// fsync) instead of paying one each. Each caller still waits for its own mark.
/// </summary>
/// <remarks>
/// Hand-written group commit (no served library batches calls into one statement and hands each caller its own
/// result): a few lines under one lock.
/// </remarks>
public sealed class PublishedMarks(IJobStore store, ILogger<PublishedMarks> logger)
{
    /// <summary>Most job ids in one statement; far below either database's parameter limit.</summary>
    internal const int MaxBatch = 500;

    private readonly Lock gate = new();
    private List<(Guid JobId, TaskCompletionSource Written)> waiting = [];
    private bool writing;

    /// <summary>
    /// Marks the job's terminal event published; completes once the mark is stored. A mark that could not be stored
    /// is logged, not thrown: the event is out, and its lease still keeps everyone else from publishing it until
    /// the <see cref="TerminalEventRepublisher"/> sends it again with the same MessageId.
    /// </summary>
    public Task MarkAsync(Guid jobId)
    {
        var written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bool startWriting;
        lock (gate)
        {
            waiting.Add((jobId, written));
            startWriting = !writing;
            writing = true;
        }
        return startWriting ? WriteAsync(written.Task) : written.Task;
    }

    /// <summary>
    /// Writes what is waiting (this caller's mark among it) on the caller's own thread, then hands whatever arrived
    /// meanwhile to the thread pool: SQLite completes synchronously, so a caller that went on writing would hold its
    /// own message for everyone after it.
    /// </summary>
    private async Task WriteAsync(Task own)
    {
        await WriteWaitingAsync();
        if (MoreWaiting()) _ = Task.Run(WriteWhileWaitingAsync);
        await own;
    }

    private async Task WriteWhileWaitingAsync()
    {
        do await WriteWaitingAsync();
        while (MoreWaiting());
    }

    /// <summary>True when marks arrived during the last write (the caller then writes them); else writing stops.</summary>
    private bool MoreWaiting()
    {
        lock (gate)
        {
            writing = waiting.Count > 0;
            return writing;
        }
    }

    private async Task WriteWaitingAsync()
    {
        List<(Guid JobId, TaskCompletionSource Written)> batch;
        lock (gate)
        {
            batch = waiting;
            waiting = [];
        }
        foreach (var chunk in batch.Chunk(MaxBatch))
        {
            try
            {
                await store.MarkTerminalPublishedAsync(chunk.Select(m => m.JobId).ToList(), CancellationToken.None);
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Marking {Count} terminal events published failed; they are published again with the same MessageId after their lease",
                    chunk.Length);
            }
            foreach (var mark in chunk) mark.Written.TrySetResult();
        }
    }
}
