using MarketPulse.Server.Hosting;

var app = ServerApp.Build(args);
await app.RunAsync();
