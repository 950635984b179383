using VerifyPipeline.Cli;

// `verify <command>`: the command line of DESIGN.md (contract). Exit codes: 0 done, 2 usage error, 3 file unreadable.
return await Commands.RunAsync(args);
