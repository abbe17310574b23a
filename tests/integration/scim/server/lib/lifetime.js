// The server lives as long as the process that started it: it exits when its standard input
// closes (the parent closed the pipe or died) or when its parent process changes (the parent
// died and the server was handed to another), so that no test leaves a server behind.
export function exitWithParent(shutdown) {
    const parent = process.ppid;
    process.stdin.on("end", () => shutdown("standard input closed"));
    process.stdin.on("error", () => shutdown("standard input failed"));
    process.stdin.resume();
    const timer = setInterval(() => {
        if (process.ppid !== parent) shutdown("parent process gone");
    }, 250);
    timer.unref();
}
