namespace SoraEvents.Service.Jobs;

/// <summary>Which page of jobs <see cref="IJobStore.ListPageAsync"/> reads.</summary>
/// <param name="Caller">Only this caller's jobs; null for every job (admins).</param>
/// <param name="Statuses">Only jobs in these states; null or empty for all.</param>
/// <param name="After">The last job of the previous page; null for the first page.</param>
/// <param name="Descending">Newest first (the API's default order).</param>
/// <param name="Limit">At most this many jobs.</param>
public sealed record JobPageQuery(string? Caller, IReadOnlyList<JobStatus>? Statuses, JobPagePosition? After, bool Descending, int Limit);

/// <summary>A job's place in the (created_at, job_id) order.</summary>
public sealed record JobPagePosition(DateTimeOffset CreatedAt, Guid JobId);
