using System.Net;

namespace Twin.Observability.Security.Outbound;

/// <summary>
/// A connection was refused because the host is, or resolves to, an address outbound calls may not reach. Raised at
/// connect time, so <see cref="HttpClient"/> surfaces it as the inner exception of an <see cref="HttpRequestException"/>.
/// </summary>
public sealed class OutboundAddressRefusedException : Exception
{
    public OutboundAddressRefusedException()
        : this("The outbound address was refused.")
    {
    }

    public OutboundAddressRefusedException(string message)
        : base(message)
    {
        Host = "";
        Reason = "";
    }

    public OutboundAddressRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Host = "";
        Reason = "";
    }

    public OutboundAddressRefusedException(string host, IPAddress address, string reason)
        : base($"Outbound call to '{host}' refused: it resolves to {address}, {BlockedAddresses.Describe(reason)}. Allow the host in {OutboundOptions.SectionName}:AllowedHosts to reach it.")
    {
        Host = host;
        Address = address;
        Reason = reason;
    }

    public string Host { get; }

    public IPAddress? Address { get; }

    /// <summary>Why the address is blocked, as <see cref="BlockedAddresses.Reason(IPAddress)"/> names it.</summary>
    public string Reason { get; }
}
