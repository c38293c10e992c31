using Microsoft.Extensions.Options;

namespace PhotoReceipt.Data;

/// <summary>
/// Validates options by building what uses them (the PII protector, the URL signer), so the rules live
/// once, in that constructor, and a missing or malformed key stops the process at start instead of
/// failing the first request that needs it.
/// </summary>
internal sealed class ConstructorValidation<TOptions>(Action<TOptions> construct) : IValidateOptions<TOptions> where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        try
        {
            construct(options);
            return ValidateOptionsResult.Success;
        }
        catch (InvalidOperationException e)
        {
            return ValidateOptionsResult.Fail(e.Message);
        }
    }
}
