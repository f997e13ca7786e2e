// Each test runs several processes on a two-core machine: one test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
