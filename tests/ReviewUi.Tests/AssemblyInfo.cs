// Hosts in this assembly start Hangfire servers, Kestrel and child processes: one at a time keeps the 2-core
// machine's timing sane and the logs readable.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
