using System.Net;
using System.Net.Sockets;

namespace Pipeline.Tests.Infrastructure;

public static class FreePort
{
    // Below the kernel's ephemeral range (32768-60999 here) and below the ports scripts/lib/pg.sh picks
    // (15432-31431): a port the OS handed us to probe, released and bound again a moment later, can meanwhile
    // become the local end of some outgoing connection (a CI run failed a fake's start with "Address already in
    // use" that way). Ports in this range are never given out by the OS, only taken by name.
    private const int First = 10_000;
    private const int End = 15_432;

    private static readonly HashSet<int> Handed = [];
    private static int _next = First + Random.Shared.Next(End - First);

    /// <summary>A loopback TCP port nobody listens on, never the same one twice in this test run.</summary>
    public static int Next()
    {
        lock (Handed)
        {
            for (var tried = 0; tried < End - First; tried++)
            {
                var port = _next;
                _next = _next + 1 == End ? First : _next + 1;
                if (!Handed.Contains(port) && Bindable(port))
                {
                    Handed.Add(port);
                    return port;
                }
            }

            throw new InvalidOperationException($"No free loopback port in {First}-{End - 1}.");
        }
    }

    private static bool Bindable(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
