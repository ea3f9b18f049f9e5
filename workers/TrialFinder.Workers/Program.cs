return await TrialFinder.Workers.WorkerCommands.RunAsync(args);
