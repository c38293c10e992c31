using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
using PhotoReceipt.Data.Staff;

namespace PhotoReceipt.Api.Console;

/// <summary>Section <c>StaffSessions</c>: how long a console session lives.</summary>
public sealed class StaffSessionOptions
{
    public const string Section = "StaffSessions";

    /// <summary>A session unused this long ends (the cookie slides with activity).</summary>
    [Range(1, 24 * 60)]
    public double IdleMinutes { get; set; } = 30;

    /// <summary>A session ends this long after sign-in, however active.</summary>
    [Range(0.1, 24 * 7)]
    public double AbsoluteHours { get; set; } = 8;

    public TimeSpan Idle => TimeSpan.FromMinutes(IdleMinutes);
    public TimeSpan Absolute => TimeSpan.FromHours(AbsoluteHours);
}

/// <summary>
/// The cookie handler's ticket store: the cookie carries only a random key, the ticket lives in
/// <c>staff_sessions</c>, so deleting a row signs the person out everywhere at once. The console
/// shows people's ID numbers, so a copied cookie must not outlive a logout.
/// </summary>
public sealed class DatabaseTicketStore(StaffSessionStore sessions, IOptions<StaffSessionOptions> options) : ITicketStore
{
    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var staffId = Guid.Parse(ticket.Principal.FindFirstValue(ClaimTypes.NameIdentifier)!);
        await sessions.CreateAsync(key, staffId, TicketSerializer.Default.Serialize(ticket), options.Value.Absolute, CancellationToken.None);
        return key;
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket) =>
        sessions.UpdateTicketAsync(key, TicketSerializer.Default.Serialize(ticket), CancellationToken.None);

    public async Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        var bytes = await sessions.FindAsync(key, options.Value.Idle, CancellationToken.None);
        return bytes is null ? null : TicketSerializer.Default.Deserialize(bytes);
    }

    public Task RemoveAsync(string key) => sessions.DeleteAsync(key, CancellationToken.None);
}
