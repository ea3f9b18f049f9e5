namespace TrialFinder.Data.Admin;

/// <summary>An admin action: who did what, when, and how it went.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public required string UserId { get; set; }
    public required string UserEmail { get; set; }
    public required string Action { get; set; }
    public string? Details { get; set; }
    public required string Result { get; set; }
}
