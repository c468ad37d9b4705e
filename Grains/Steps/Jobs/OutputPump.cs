using System.Text;

namespace Pipeline.Grains.Steps;

/// <summary>
/// Reads one of a script's output streams to its end without holding a thread. Each line goes to
/// the log as it arrives, and only the last bytes are kept, so a script that prints 100 MB costs a
/// fixed amount of memory and the result line (printed last) is still there at the end.
/// </summary>
internal sealed class OutputPump
{
    /// <summary>Longer lines are logged cut short: one line must not become a 100 MB log entry.</summary>
    private const int MaxLoggedLineBytes = 8 * 1024;

    private readonly Stream _stream;
    private readonly Action<string>? _onLine;
    private readonly byte[] _tail;
    private int _tailNext;
    private int _tailCount;
    private long _totalBytes;
    private readonly byte[] _line = new byte[MaxLoggedLineBytes];
    private int _lineLength;
    private bool _lineCut;

    /// <param name="onLine">Called with each line (without its end-of-line); null when nobody would log it, so no line is decoded.</param>
    public OutputPump(Stream stream, int maxCapturedBytes, Action<string>? onLine)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCapturedBytes, 1);
        _stream = stream;
        _onLine = onLine;
        _tail = new byte[maxCapturedBytes];
    }

    /// <summary>How many bytes the stream carried in all, kept or not.</summary>
    public long TotalBytes => _totalBytes;

    /// <summary>
    /// Reads until the stream ends (every writer closed it) or <paramref name="stop"/> fires (the
    /// runner gave up waiting for a writer that outlived the script). Never throws.
    /// </summary>
    public async Task RunAsync(CancellationToken stop)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await _stream.ReadAsync(buffer, stop);
                if (read == 0)
                {
                    break;
                }

                var data = buffer.AsSpan(0, read);
                Keep(data);
                if (_onLine is not null)
                {
                    SplitLines(data);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // Stopped, or the pipe broke: what was read so far is all there is.
        }

        if (_onLine is not null && (_lineLength > 0 || _lineCut))
        {
            EmitLine();
        }
    }

    /// <summary>The kept tail as text. Call it after <see cref="RunAsync"/> has finished.</summary>
    public string Text()
    {
        var bytes = new byte[_tailCount];
        if (_tailCount < _tail.Length)
        {
            _tail.AsSpan(0, _tailCount).CopyTo(bytes);
        }
        else
        {
            _tail.AsSpan(_tailNext).CopyTo(bytes);
            _tail.AsSpan(0, _tailNext).CopyTo(bytes.AsSpan(_tail.Length - _tailNext));
        }

        // A cut tail may start inside a UTF-8 character: skip its continuation bytes.
        var start = 0;
        if (_totalBytes > _tailCount)
        {
            while (start < bytes.Length && (bytes[start] & 0xC0) == 0x80)
            {
                start++;
            }
        }

        return Encoding.UTF8.GetString(bytes, start, bytes.Length - start);
    }

    private void Keep(ReadOnlySpan<byte> data)
    {
        _totalBytes += data.Length;
        if (data.Length >= _tail.Length)
        {
            data[^_tail.Length..].CopyTo(_tail);
            _tailNext = 0;
            _tailCount = _tail.Length;
            return;
        }

        var first = Math.Min(data.Length, _tail.Length - _tailNext);
        data[..first].CopyTo(_tail.AsSpan(_tailNext));
        data[first..].CopyTo(_tail);
        _tailNext = (_tailNext + data.Length) % _tail.Length;
        _tailCount = Math.Min(_tail.Length, _tailCount + data.Length);
    }

    private void SplitLines(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            var end = data.IndexOf((byte)'\n');
            var part = end < 0 ? data : data[..end];
            var room = _line.Length - _lineLength;
            if (part.Length > room)
            {
                _lineCut = true;
                part = part[..room];
            }

            part.CopyTo(_line.AsSpan(_lineLength));
            _lineLength += part.Length;
            if (end < 0)
            {
                return;
            }

            EmitLine();
            data = data[(end + 1)..];
        }
    }

    private void EmitLine()
    {
        var length = _lineLength > 0 && _line[_lineLength - 1] == (byte)'\r' ? _lineLength - 1 : _lineLength;
        var text = Encoding.UTF8.GetString(_line, 0, length);
        if (_lineCut)
        {
            text += " …(line cut)";
        }

        _lineLength = 0;
        _lineCut = false;
        if (text.Length == 0)
        {
            return;
        }

        try
        {
            _onLine!(text);
        }
        catch (Exception)
        {
            // A failing log must not stop the reading, or the script would block on a full pipe.
        }
    }
}
