namespace SoraEvents.Simulator.Tests.Support;

/// <summary>The JSON examples of APIXO's public Sora 2 Pro documentation (docs/gateways.md links it), verbatim.</summary>
internal static class ApixoDocument
{
    public const string TextToVideoRequest = """
        {
            "request_type": "async",
            "input": {
              "mode": "text-to-video",
              "prompt": "a cinematic tracking shot of a futuristic city with flying cars",
              "duration": 10,
              "size": "1280*720"
            }
          }
        """;

    public const string ImageToVideoRequest = """
        {
            "request_type": "callback",
            "callback_url": "https://your-server.com/callback",
            "input": {
              "mode": "image-to-video",
              "prompt": "make this image come alive with subtle motion",
              "duration": 15,
              "resolution": "1080p",
              "image_urls": [
                "https://example.com/reference_image.jpg"
              ]
            }
          }
        """;

    public const string RequestBodyTemplate = """
        {
          "request_type": "async",
          "callback_url": "https://...",
          "provider": "auto",
          "input": {
            "mode": "text-to-video",
            "prompt": "...",
            "duration": 10,
            "size": "720*1280"
          }
        }
        """;

    public const string GenerateSuccess = """
        {
          "code": 200,
          "message": "success",
          "data": {
            "taskId": "task_12345678"
          }
        }
        """;

    public const string InsufficientCredits = """
        {
          "code": 400,
          "message": "Insufficient credits",
          "data": null
        }
        """;

    public const string PolicyViolation = """
        {
          "code": 400,
          "message": "Content violates provider policy, please adjust the prompt",
          "data": null
        }
        """;

    public const string StatusSuccess = """
        {
          "code": 200,
          "message": "success",
          "data": {
            "taskId": "task_12345678",
            "state": "success",
            "resultJson": "{\"resultUrls\":[\"https://r2.apixo.ai/video.mp4\"]}",
            "createTime": 1767965610929,
            "completeTime": 1767965730929,
            "costTime": 120000
          }
        }
        """;

    public const string StatusFailed = """
        {
          "code": 200,
          "message": "success",
          "data": {
            "taskId": "task_12345678",
            "state": "failed",
            "failCode": "CONTENT_VIOLATION",
            "failMsg": "Content does not meet safety guidelines"
          }
        }
        """;
}
