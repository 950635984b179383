using VerifyPipeline.Rules;

namespace VerifyPipeline.Worker.Documents;

/// <summary>The input itself is unusable (encrypted, corrupt, too large, no page in it). Never retried:
/// the case is rejected with <see cref="ReasonCode"/> and <see cref="Exception.Message"/> tells the sender what to do.</summary>
public sealed class BadInputException : Exception
{
    public BadInputException(string reasonCode, string message, Exception? inner = null) : base(message, inner)
        => ReasonCode = reasonCode;

    public string ReasonCode { get; }

    public static BadInputException Unreadable(string message, Exception? inner = null)
        => new(ReasonCodes.UnreadableFile, message, inner);
}
