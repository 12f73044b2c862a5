export * from "./schema";
export * from "./load";
export { durationSeconds } from "./formats";
