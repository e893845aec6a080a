// The C# quick start, built against the Exto360 NuGet package only (make test builds it in an
// empty folder from the .nupkg). Reads EXTO360_TOKEN and EXTO360_BASE_URL (here: an emulator).
//
//   nuget install Exto360 -OutputDirectory packages
//   mcs -r:packages/Exto360.<version>/lib/net45/Exto360.dll -r:System.Json.dll Quickstart.cs
using System;
using Exto360;

static class Quickstart
{
    static int Main()
    {
        Console.WriteLine("Exto360 " + Client.Version);
        using (var client = Client.FromEnv())
        {
            string page = client.Masters("LOCATION").List(new ListOptions { PageSize = 2, Sort = "-serial_number" });
            Console.WriteLine("LOCATION page: " + page.Substring(0, Math.Min(120, page.Length)) + "...");
            int pages = 0;
            foreach (string p in client.Masters("LOCATION").Pages(new ListOptions { PageSize = 2 })) pages++;
            Console.WriteLine("iterated " + pages + " pages");
            UpsertResult r = client.Masters("VENDOR").Upsert("[{\"vendor_id\": \"V1\", \"name\": \"Acme\"}]");
            Console.WriteLine("upsert: " + r.InsertedCount + " inserted, " + r.UpdatedCount + " updated");
            try
            {
                client.Masters("NO_SUCH_MASTER").List();
                return 1;
            }
            catch (Exto360Exception e)
            {
                Console.WriteLine("expected error: " + e.Kind + " (HTTP " + e.Status + ")");
            }
        }
        return 0;
    }
}
