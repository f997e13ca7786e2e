using Microsoft.Data.Sqlite;
using Portal.Intake.Reports;
using Portal.Intake.Sealing;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Pages.Contact;

/// <summary>Reads the intake tables of a test portal's SQLite database, and opens envelopes with its development key.</summary>
public static class Reports
{
    public sealed record Row(Guid Id, string Status, string? Reason, string Verification, bool Urgent, string Envelope, bool HasOutbox);

    public static List<Row> All(PortalFactory portal)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(portal.DataDirectory, "portal.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT r.Id, r.Status, r.QuarantineReason, r.Verification, r.Urgent, r.Envelope, o.ReportId IS NOT NULL
            FROM intake_reports r LEFT JOIN intake_outbox o ON o.ReportId = r.Id
            """;
        using var reader = command.ExecuteReader();
        var rows = new List<Row>();
        while (reader.Read())
        {
            rows.Add(new Row(reader.GetGuid(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetString(3), reader.GetBoolean(4), reader.GetString(5), reader.GetBoolean(6)));
        }

        return rows;
    }

    public static byte[] OpenBytes(PortalFactory portal, string envelope)
    {
        using var key = CaseSystemKeys.LoadPrivateKey(Path.Combine(portal.DataDirectory, "dev-keys", "case-system-private.pem"));
        return ReportOpener.Open(envelope, key);
    }

    public static CaseReport Open(PortalFactory portal, Row row) => CaseReport.FromUtf8Json(OpenBytes(portal, row.Envelope));
}
