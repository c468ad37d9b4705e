using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Pipeline.Tests.Infrastructure;

/// <summary>
/// A loopback TCP relay in front of PostgreSQL. Taking it down cuts one process off the
/// database (new connections refused, open ones dropped) without stopping the server the
/// other tests share.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly IPEndPoint _target;
    private readonly List<TcpClient> _open = [];
    private TcpListener? _listener;
    private CancellationTokenSource? _stop;

    public TcpProxy(string host, int port)
    {
        _target = new IPEndPoint(IPAddress.Parse(host), port);
        Port = FreePort.Next();
    }

    public int Port { get; }

    /// <summary>The same database, reached through this proxy.</summary>
    public static (TcpProxy Proxy, string ConnectionString) For(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var proxy = new TcpProxy(builder.Host!, builder.Port);
        builder.Port = proxy.Port;
        builder.Timeout = 3;
        return (proxy, builder.ConnectionString);
    }

    public void Start()
    {
        _stop = new CancellationTokenSource();
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Start();
        _ = AcceptAsync(_listener, _stop.Token);
    }

    public void Stop()
    {
        _stop?.Cancel();
        _listener?.Stop();
        lock (_open)
        {
            foreach (var client in _open)
            {
                client.Dispose();
            }

            _open.Clear();
        }
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await listener.AcceptTcpClientAsync(stop);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = RelayAsync(inbound, stop);
        }
    }

    private async Task RelayAsync(TcpClient inbound, CancellationToken stop)
    {
        var outbound = new TcpClient();
        lock (_open)
        {
            _open.Add(inbound);
            _open.Add(outbound);
        }

        try
        {
            await outbound.ConnectAsync(_target, stop);
            var a = inbound.GetStream();
            var b = outbound.GetStream();
            await Task.WhenAny(a.CopyToAsync(b, stop), b.CopyToAsync(a, stop));
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // A dropped connection is what this class is for.
        }
        finally
        {
            inbound.Dispose();
            outbound.Dispose();
        }
    }
}
