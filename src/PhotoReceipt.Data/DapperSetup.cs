using System.Runtime.CompilerServices;
using Dapper;

namespace PhotoReceipt.Data;

internal static class DapperSetup
{
    /// <summary>
    /// snake_case columns map to PascalCase members for every store, whoever loads this assembly
    /// (the app through DI, a test or the CLI without it), so the setting cannot be forgotten.
    /// </summary>
#pragma warning disable CA2255 // a library-wide mapping convention is exactly what a module initializer is for
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Initialize() => DefaultTypeMap.MatchNamesWithUnderscores = true;
}
