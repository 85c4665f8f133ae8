using System.Net;
using System.Security.Claims;
using Microsoft.Extensions.Options;
using SoraEvents.Service.Archiving;
using SoraEvents.Service.Jobs;
using SoraEvents.Service.OutboundHttp;

namespace SoraEvents.Service.Videos;

/// <summary>
/// <c>GET /v1/videos/{id}/content</c>: the MP4 from the archive when there is a copy, else streamed from the
/// gateway's URL. Neither is ever held whole in memory, and <c>Range</c> requests are honoured by both.
/// </summary>
public static class VideoContent
{
    internal static async Task<IResult> GetAsync(
        string id, ClaimsPrincipal user, IJobStore store, VideoArchiveFiles archive, GatewayVideoStream gateway,
        IOptions<ArchiveOptions> archiveOptions, HttpContext http, ILoggerFactory loggers, CancellationToken ct, string? variant = null)
    {
        if (variant is "thumbnail" or "spritesheet")
            return ApiProblems.Create(StatusCodes.Status404NotFound, "No such variant",
                $"variant '{variant}' is not available: the gateways make only the video. Ask for variant=video.", "variant", "variant_not_available");
        if (variant is not (null or "video"))
            return ApiProblems.Invalid("variant", $"variant must be video (or thumbnail, spritesheet, which are not available); '{variant}' is not.");

        var job = await VideoEndpoints.FindVisibleAsync(id, user, store, ct);
        if (job is null) return ApiProblems.NotFound(id);
        if (job.Status != JobStatus.Completed)
            return ApiProblems.Create(StatusCodes.Status404NotFound, "Video not ready",
                $"Video {job.JobId} has no content: its status is {VideoObjects.StatusOf(job.Status)}.", "id", "video_not_ready");

        if (archive.Find(job.JobId) is { } path)
            return TypedResults.PhysicalFile(path, "video/mp4", enableRangeProcessing: true);

        if (job.VideoUrls.FirstOrDefault() is not { } url || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
            return ApiProblems.Create(StatusCodes.Status404NotFound, "No video URL", $"Video {job.JobId} has no video URL to stream.", "id");

        var logger = loggers.CreateLogger(typeof(VideoContent));
        HttpResponseMessage upstream;
        try
        {
            upstream = await gateway.OpenAsync(uri, http.Request.Headers.Range.ToString() is { Length: > 0 } range ? range : null, ct);
        }
        catch (OutboundRefusedException ex)
        {
            logger.LogWarning("Streaming the video of job {JobId} refused: {Reason}", job.JobId, ex.Message);
            return BadGateway($"The gateway's video URL was refused: {ex.Message}");
        }
        catch (HttpRequestException ex)
        {
            logger.LogWarning("Streaming the video of job {JobId} failed: {Reason}", job.JobId, ex.Message);
            return BadGateway($"The gateway's video URL could not be fetched: {ex.Message}");
        }

        if (upstream.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone or HttpStatusCode.Forbidden)
        {
            upstream.Dispose();
            return ApiProblems.Create(StatusCodes.Status404NotFound, "Video expired",
                $"The gateway no longer serves video {job.JobId} (it answered {(int)upstream.StatusCode}); its URLs expire.", "id", "video_expired");
        }
        if (upstream.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            upstream.Dispose();
            return ApiProblems.Create(StatusCodes.Status416RangeNotSatisfiable, "Range not satisfiable",
                $"The range {http.Request.Headers.Range} lies outside the video.", "Range");
        }
        var type = upstream.Content.Headers.ContentType?.MediaType;
        if (!upstream.IsSuccessStatusCode || type is null || !type.StartsWith("video/", StringComparison.OrdinalIgnoreCase))
        {
            upstream.Dispose();
            return BadGateway($"The gateway answered {(int)upstream.StatusCode} with {type ?? "no content type"}, not a video.");
        }
        if (upstream.Content.Headers.ContentLength > archiveOptions.Value.MaxBytes)
        {
            upstream.Dispose();
            return BadGateway($"The gateway's video is {upstream.Content.Headers.ContentLength:N0} bytes, over Archive:MaxBytes.");
        }
        return new RelayedVideo(upstream, archiveOptions.Value.MaxBytes);
    }

    private static IResult BadGateway(string detail) =>
        ApiProblems.Create(StatusCodes.Status502BadGateway, "Gateway video unavailable", detail, "id", "upstream_error");

    /// <summary>Relays the gateway's answer (200, or 206 with its Content-Range) chunk by chunk.</summary>
    private sealed class RelayedVideo(HttpResponseMessage upstream, long maxBytes) : IResult
    {
        public async Task ExecuteAsync(HttpContext context)
        {
            using (upstream)
            {
                var response = context.Response;
                response.StatusCode = (int)upstream.StatusCode == StatusCodes.Status206PartialContent ? StatusCodes.Status206PartialContent : StatusCodes.Status200OK;
                response.ContentType = "video/mp4";
                response.Headers.AcceptRanges = "bytes";
                if (upstream.Content.Headers.ContentLength is { } length) response.ContentLength = length;
                if (upstream.Content.Headers.ContentRange is { } contentRange) response.Headers.ContentRange = contentRange.ToString();

                await using var source = await upstream.Content.ReadAsStreamAsync(context.RequestAborted);
                var buffer = new byte[81920];
                long total = 0;
                int read;
                while ((read = await source.ReadAsync(buffer, context.RequestAborted)) > 0)
                {
                    // The length header may be absent or wrong; the bound holds on what actually arrives.
                    total += read;
                    if (total > maxBytes) { context.Abort(); return; }
                    await response.Body.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted);
                }
            }
        }
    }
}
