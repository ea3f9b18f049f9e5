// Browser tests start real sites, workers and Chromium; on a 2-core CI machine they are steadier one class at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
