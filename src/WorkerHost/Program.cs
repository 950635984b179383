using VerifyPipeline.Worker.Hosting;

// The worker host (docs/architecture.md): pipeline jobs only, against the shared PostgreSQL and blob store.
return await WorkerHost.RunAsync(args);
