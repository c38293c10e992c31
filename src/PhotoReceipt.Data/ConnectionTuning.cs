using Npgsql;

namespace PhotoReceipt.Data;

/// <summary>
/// How the app talks to PostgreSQL, measured with the orders benchmark (tests/PhotoReceipt.Benchmarks):
/// - Auto-prepare: our SQL is constant text, so PostgreSQL plans each hot statement once per
///   connection instead of on every request (planning the order list cost more than running it).
/// - No reset on close: by default every reuse of a pooled connection first runs a seven-statement
///   reset (RESET ALL, CLOSE ALL, UNLISTEN *, DISCARD …), which was most of PostgreSQL's work per
///   request. The app never changes session state: it sets no variables, makes no temp tables, takes
///   advisory locks only per transaction or releases them in a finally (the migrator), and LISTENs
///   only on the job worker's own connection.
/// Settings given explicitly in the connection string win.
/// </summary>
public static class ConnectionTuning
{
    public static void Apply(NpgsqlConnectionStringBuilder csb)
    {
        // NpgsqlConnectionStringBuilder.ContainsKey is true for every keyword it knows, so ask a
        // plain builder which keys the connection string really sets.
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = csb.ConnectionString };
        if (!Given(given, "Max Auto Prepare", "MaxAutoPrepare")) csb.MaxAutoPrepare = 64;
        if (!Given(given, "No Reset On Close", "NoResetOnClose")) csb.NoResetOnClose = true;
    }

    private static bool Given(System.Data.Common.DbConnectionStringBuilder given, params string[] names) =>
        names.Any(given.ContainsKey);
}
