namespace SoraEvents.Simulator.Apixo;

/// <summary>
/// Every APIXO answer: <c>{"code": …, "message": …, "data": …}</c>. <c>code</c> 200 with message
/// "success" is the only success; <c>data</c> is null on errors, and is written so.
/// </summary>
internal sealed record ApixoEnvelope<TData>(int Code, string Message, TData? Data)
    where TData : class
{
    public static ApixoEnvelope<TData> Success(TData data) => new(200, ApixoWire.Success, data);
}
