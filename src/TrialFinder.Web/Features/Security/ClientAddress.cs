using System.Net;
using System.Net.Sockets;

namespace TrialFinder.Web.Features.Security;

/// <summary>
/// Who a request comes from, for per-client limits: the peer address once the forwarded headers of a known
/// proxy have been applied. IPv6 clients are counted by their /64 network, since one client holds a whole /64.
/// </summary>
public static class ClientAddress
{
    public const string Unknown = "unknown";

    public static string Of(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        if (address is null)
        {
            return Unknown;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
