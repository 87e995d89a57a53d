// Storage interface for status page subscribers and the fan-out of public updates. Implementations live in
// storage/<backend>/.
#pragma once

#include "status/subscriber.hpp"

#include <optional>
#include <string_view>
#include <vector>

namespace lifeline::status {

// One public update being fanned out to subscribers: an incident's update, or a scheduled maintenance's.
struct Fanout {
    bool maintenance = false;  // update_id and incident_id then name a maintenance update and its maintenance
    std::int64_t update_id = 0;
    std::int64_t incident_id = 0;
    std::vector<std::int64_t> component_ids;
    std::int64_t next_subscriber_id = 0;  // subscribers with a smaller id have their outbox rows
    std::int64_t email_count = 0;
    std::int64_t sms_count = 0;
    std::int64_t webhook_count = 0;
    core::UtcTime created_at{};
    std::optional<core::UtcTime> expanded_at;
};

// Delivery progress of one fan-out, counted over its outbox rows.
struct FanoutProgress {
    Fanout fanout;
    std::string incident_name;
    std::int64_t queued = 0;  // queued or sending
    std::int64_t sent = 0;
    std::int64_t failed = 0;  // dead
};

class SubscriberStore {
public:
    virtual ~SubscriberStore() = default;

    // Errors: Conflict when the channel and address are taken.
    virtual core::Result<std::int64_t> insert(const Subscriber& subscriber) = 0;
    // Writes every field except id, channel, address and created_at, and replaces the component list.
    virtual void update(const Subscriber& subscriber) = 0;
    virtual bool remove(std::int64_t id) = 0;
    virtual std::optional<Subscriber> find(std::int64_t id) = 0;
    virtual std::optional<Subscriber> find_by_address(SubscriberChannel channel, std::string_view address) = 0;
    virtual std::optional<Subscriber> find_by_token(std::string_view token) = 0;
    virtual std::optional<Subscriber> find_by_confirm_hash(std::string_view hash) = 0;
    // Newest first.
    virtual std::vector<Subscriber> list(int limit) = 0;
    // Active subscribers with id >= `from` that want any of `components`, by id.
    virtual std::vector<Subscriber> active_for(const std::vector<std::int64_t>& components, std::int64_t from,
                                               int limit) = 0;

    // Records an attempt and returns how many attempts from `client`, and for `address`, happened since `since`
    // (this one included).
    struct AttemptCounts {
        std::int64_t client = 0;
        std::int64_t address = 0;
    };
    virtual AttemptCounts record_attempt(std::string_view client, std::string_view address, core::UtcTime now,
                                         core::UtcTime since) = 0;

    virtual void insert_fanout(const Fanout& fanout) = 0;
    // Fan-outs not fully expanded yet: incident updates first, then maintenance updates, each oldest first.
    virtual std::vector<Fanout> pending_fanouts(int limit) = 0;
    // Writes the cursor, the channel counts and expanded_at.
    virtual void update_fanout(const Fanout& fanout) = 0;
    // The most recent fan-outs with their delivery counts, newest first.
    virtual std::vector<FanoutProgress> progress(int limit) = 0;
};

}  // namespace lifeline::status
