namespace Portal.Intake.Receiver;

/// <summary>
/// One asynchronous lock per key, held only while in use: concurrent deliveries of the same report id
/// wait for each other, deliveries of different ids never do. An idle key holds no memory.
/// </summary>
internal sealed class IdLocks
{
    private readonly Dictionary<string, Gate> _gates = new(StringComparer.Ordinal);

    public async Task<Releaser> AcquireAsync(string id, CancellationToken ct)
    {
        Gate gate;
        lock (_gates)
        {
            if (!_gates.TryGetValue(id, out gate!))
            {
                gate = new Gate();
                _gates.Add(id, gate);
            }

            gate.Users++;
        }

        try
        {
            await gate.Semaphore.WaitAsync(ct);
        }
        catch
        {
            Leave(id, gate);
            throw;
        }

        return new Releaser(this, id, gate);
    }

    private void Leave(string id, Gate gate)
    {
        lock (_gates)
        {
            if (--gate.Users == 0)
            {
                _gates.Remove(id);
                gate.Semaphore.Dispose();
            }
        }
    }

    /// <summary>Releases the lock when disposed.</summary>
    public readonly struct Releaser : IDisposable
    {
        private readonly IdLocks _owner;
        private readonly string _id;
        private readonly Gate _gate;

        internal Releaser(IdLocks owner, string id, Gate gate) => (_owner, _id, _gate) = (owner, id, gate);

        public void Dispose()
        {
            _gate.Semaphore.Release();
            _owner.Leave(_id, _gate);
        }
    }

    internal sealed class Gate
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        public int Users { get; set; }
    }
}
