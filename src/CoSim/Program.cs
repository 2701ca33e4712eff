return Mbi.CoSim.Cli.MbiCli.Run(args);
