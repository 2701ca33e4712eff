return Mbi.Cli.MbiCli.Run(args);
