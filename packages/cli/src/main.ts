console.log("agentrail: not built yet");
